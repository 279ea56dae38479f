namespace Gateway.ForwardAuth;

/// <summary>Where the original request was read from, which also decides how "not signed in" is answered.</summary>
internal enum ForwardAuthMode
{
    /// <summary>Untrusted caller, or a trusted one that named no request: judged as <c>GET /</c>.</summary>
    Direct,

    /// <summary>nginx <c>auth_request</c>: <c>X-Original-URL</c>, <c>X-Original-Method</c>. Cannot follow a redirect: 401 + Location.</summary>
    Nginx,

    /// <summary>Traefik <c>forwardAuth</c>, Caddy <c>forward_auth</c>: <c>X-Forwarded-Method/-Proto/-Host/-Uri</c>.</summary>
    Forwarded,

    /// <summary>Envoy <c>ext_authz</c>: the original path appended to the verify path, the original <c>Host</c>.</summary>
    Envoy,
}
