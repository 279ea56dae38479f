namespace Gateway.Configuration;

/// <summary>The <c>Gateway:Session</c> section.</summary>
public sealed class SessionOptions
{
    /// <summary>Session cookie name. Default <c>sid</c>; <c>__Host-sid</c> is recommended behind HTTPS.</summary>
    public string CookieName { get; set; } = "sid";

    /// <summary>Sliding idle timeout. Default 30 minutes.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Hard cap from login. Default 12 hours.</summary>
    public TimeSpan AbsoluteTimeout { get; set; } = TimeSpan.FromHours(12);

    /// <summary>Cookie <c>Secure</c> attribute. Default true; false only for plain-HTTP development.</summary>
    public bool SecureCookie { get; set; } = true;

    /// <summary>
    /// How often a session in use is written back (last seen, idle TTL). Default 1 minute, and never more than
    /// a tenth of the idle timeout. Idle expiry is accurate to within this interval.
    /// </summary>
    public TimeSpan TouchInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Concurrent sessions per user. Default 0 (off).</summary>
    public int MaxPerUser { get; set; }

    /// <summary>What a login beyond <see cref="MaxPerUser"/> does. Default <see cref="SessionLimitAction.EvictOldest"/>.</summary>
    public SessionLimitAction OnLimit { get; set; } = SessionLimitAction.EvictOldest;

    /// <summary>Rotate the id after this much use. Default off.</summary>
    public TimeSpan? RenewalInterval { get; set; }

    /// <summary>How long a rotated-out id keeps working, for requests already in flight. Default 30 seconds.</summary>
    public TimeSpan RotationGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Revoke a session presented with another user agent. Default false.</summary>
    public bool BindUserAgent { get; set; }

    /// <summary>
    /// Cookie <c>Domain</c>, to share sessions across subdomains (forward auth for several hosts). Default none: the
    /// cookie stays with the host that set it. Refused with a <c>__Host-</c> cookie name.
    /// </summary>
    public string? CookieDomain { get; set; }

    /// <summary>The effective touch interval: <see cref="TouchInterval"/> bounded by a tenth of the idle timeout.</summary>
    internal TimeSpan EffectiveTouchInterval => TouchInterval < IdleTimeout / 10 ? TouchInterval : IdleTimeout / 10;
}

/// <summary>What a login beyond the per-user session cap does.</summary>
public enum SessionLimitAction
{
    /// <summary>Revoke the user's oldest session.</summary>
    EvictOldest,

    /// <summary>Refuse the new login.</summary>
    Reject,
}
