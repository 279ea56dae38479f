using Gateway.Sessions;

namespace Gateway.Authentication;

/// <summary>Per-request outcome of the Session scheme, read by the challenge, endpoints and transforms.</summary>
internal sealed class SessionAuthenticationFeature
{
    /// <summary>The request's feature, added on first use.</summary>
    public static SessionAuthenticationFeature Of(HttpContext context)
    {
        if (context.Features.Get<SessionAuthenticationFeature>() is not { } feature)
        {
            feature = new SessionAuthenticationFeature();
            context.Features.Set(feature);
        }
        return feature;
    }

    /// <summary>The Session scheme has authenticated this request (the fields below are its outcome).</summary>
    public bool Authenticated { get; set; }

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
