using Gateway.Users;
using SessionOptions = Gateway.Configuration.SessionOptions;

namespace Gateway.Sessions;

/// <summary>
/// What makes a session valid: its user still exists with the same password hash, within the idle and absolute
/// limits, and (when bound) presented with the user agent it was created with.
/// </summary>
internal static class SessionValidity
{
    /// <summary>
    /// Why <paramref name="record"/> must end now (kind <c>revoked</c> or <c>expired</c>, and the reason the audit
    /// trail records), or nulls while it is valid. <paramref name="user"/> is the record's user as configured now (null:
    /// removed); <paramref name="client"/> null skips the user-agent binding (listing, not a request).
    /// </summary>
    public static (string? Kind, string? Reason) EndReason(UserEntry? user, SessionRecord record, SessionOptions settings, DateTimeOffset now, ClientInfo? client)
    {
        if (user is null)
        {
            return ("revoked", "user_removed");
        }
        if (user.Stamp != record.PasswordStamp)
        {
            return ("revoked", "password_changed");
        }
        if (now >= record.AbsoluteExpiry)
        {
            return ("expired", "absolute_timeout");
        }
        if (now >= record.LastSeen + settings.IdleTimeout)
        {
            return ("expired", "idle_timeout");
        }
        if (settings.BindUserAgent && client is { } c && !string.Equals(c.UserAgent, record.UserAgent, StringComparison.Ordinal))
        {
            return ("revoked", "binding");
        }
        return (null, null);
    }
}
