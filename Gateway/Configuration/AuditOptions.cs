namespace Gateway.Configuration;

/// <summary>
/// The <c>Gateway:Audit</c> section. Security events and session lifecycle events are kept in two streams, each with
/// its own cap, so a user's routine churn (logins, logouts, rotations) never pushes out another user's failed logins.
/// </summary>
public sealed class AuditOptions
{
    /// <summary>Lifecycle entries kept (created, rotated, expired, ended by the user or the cap); approximately, <c>XADD MAXLEN ~</c>. Default 10000.</summary>
    public int MaxEntries { get; set; } = 10_000;

    /// <summary>Security entries kept (failed logins, theft, revocations by others); approximately, <c>XADD MAXLEN ~</c>. Default 10000.</summary>
    public int MaxSecurityEntries { get; set; } = 10_000;
}
