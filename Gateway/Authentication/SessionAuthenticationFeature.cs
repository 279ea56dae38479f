using Gateway.Sessions;

namespace Gateway.Authentication;

/// <summary>Per-request outcome of the Session scheme, read by the challenge, endpoints and transforms.</summary>
internal sealed class SessionAuthenticationFeature
{
    public ResolvedSession? Session { get; set; }

    public AuthenticationFailure Failure { get; set; }

    /// <summary>Client-safe reason for 400/431.</summary>
    public string? Detail { get; set; }

    /// <summary>The request carried a session cookie that must be expired in the answer.</summary>
    public bool StaleCookie { get; set; }

    /// <summary>How the caller was authenticated: cookie, token or basic.</summary>
    public string? Carrier { get; set; }

    /// <summary>For <see cref="AuthenticationFailure.Throttled"/>: how long the client must wait.</summary>
    public TimeSpan RetryAfter { get; set; }
}
