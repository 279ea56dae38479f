using Gateway.Configuration;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Gateway.Proxy;

/// <summary>
/// Keeps a shared cache (a CDN, a proxy in front) from storing what belongs to one session. A proxied response on
/// which the gateway sets or clears one of its cookies gets <c>Cache-Control: private, no-store</c>, whatever the
/// backend said. On a route that needs a session, the backend's <c>public</c> and <c>s-maxage</c> become
/// <c>private</c> (also added when the backend said nothing) and <c>Vary: Cookie</c> is added, since the same URL
/// answers each session differently; route metadata <c>Gateway.SharedCache: allow</c> opts a route out of this
/// rewrite (not of the cookie rule). Anonymous routes are left as the backend answered.
/// </summary>
internal sealed class SharedCacheTransformProvider(IOptionsMonitor<GatewayOptions> options) : ITransformProvider
{
    /// <summary>Route metadata key in routes.json: <c>"Metadata": { "Gateway.SharedCache": "allow" }</c>.</summary>
    public const string RouteMetadata = "Gateway.SharedCache";

    /// <summary>The one value <see cref="RouteMetadata"/> takes (any case).</summary>
    public static bool IsAllow(string? value) => string.Equals(value, "allow", StringComparison.OrdinalIgnoreCase);

    public void ValidateRoute(TransformRouteValidationContext context)
    {
        // Checked at start with the rest of the configuration (RouteReferencesValidator); here for a routes.json reload.
        if (context.Route.Metadata?.TryGetValue(RouteMetadata, out var value) == true && !IsAllow(value))
        {
            context.Errors.Add(new ArgumentException($"Route '{context.Route.RouteId}': metadata {RouteMetadata} must be 'allow' (got '{value}')."));
        }
    }

    public void ValidateCluster(TransformClusterValidationContext context)
    {
    }

    public void Apply(TransformBuilderContext context)
    {
        var privateRoute = !string.Equals(context.Route.AuthorizationPolicy, "anonymous", StringComparison.OrdinalIgnoreCase) &&
                           !IsAllow(context.Route.Metadata?.GetValueOrDefault(RouteMetadata));
        context.AddResponseTransform(transform =>
        {
            var headers = transform.HttpContext.Response.Headers;
            if (CarriesGatewayCookie(headers, options.CurrentValue.Session.CookieName))
            {
                headers.CacheControl = Http.GatewayResponses.PrivateNoStore;
            }
            else if (privateRoute)
            {
                headers.CacheControl = CacheControl.Private(headers.CacheControl.ToString());
                if (!headers.CacheControl.ToString().Contains("no-store", StringComparison.OrdinalIgnoreCase))
                {
                    headers.Vary = CacheControl.WithVaryCookie(headers.Vary.ToString());
                }
            }
            return ValueTask.CompletedTask;
        });
    }

    // After the backend's copies of gateway cookies were dropped (IdentityTransformProvider runs first), what is left
    // was set by the gateway: a session from Basic credentials or a remember-me token, a rotated id, an expired cookie.
    private static bool CarriesGatewayCookie(IHeaderDictionary headers, string cookieName)
    {
        foreach (var cookie in headers.SetCookie)
        {
            if (cookie is not null && IdentityHeaders.IsSessionCookie(IdentityTransformProvider.SentName(cookie), cookieName))
            {
                return true;
            }
        }
        return false;
    }
}
