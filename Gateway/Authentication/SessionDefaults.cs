namespace Gateway.Authentication;

/// <summary>Names shared by the scheme, the principal and the transforms.</summary>
internal static class SessionDefaults
{
    public const string Scheme = "Session";

    /// <summary>Claim holding the non-secret session handle.</summary>
    public const string HandleClaim = "gw:session";

    /// <summary>Header API clients use to present a session token instead of a cookie.</summary>
    public const string TokenHeader = "X-Session-Token";
}
