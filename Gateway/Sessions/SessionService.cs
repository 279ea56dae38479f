using SessionOptions = Gateway.Configuration.SessionOptions;
using Gateway.Configuration;
using Gateway.Telemetry;
using Gateway.Users;
using Microsoft.Extensions.Options;

namespace Gateway.Sessions;

/// <summary>
/// The session rules, in one place for every store: what makes a session valid (user still exists with the
/// same password hash, idle and absolute limits), when a use is written back (throttled touches), and how a
/// session is created and ended.
/// </summary>
internal sealed partial class SessionService(
    ISessionStore store,
    UserStore users,
    IOptionsMonitor<GatewayOptions> options,
    TimeProvider time,
    ILogger<SessionService> logger)
{
    /// <summary>The live session for a key, touched when due; null when absent or ended (and then deleted).</summary>
    public async Task<ResolvedSession?> ResolveAsync(SessionKey key, CancellationToken cancellationToken)
    {
        var record = await store.GetAsync(key, cancellationToken);
        if (record is null)
        {
            return null;
        }

        var settings = options.CurrentValue.Session;
        var now = time.GetUtcNow();
        var end = EndReason(record, settings, now);
        if (end is not null)
        {
            await store.DeleteAsync(key, record.User, cancellationToken);
            LogSessionEnded(logger, key.Handle, record.User, end);
            GatewayTelemetry.SessionEnded(end);
            return null;
        }

        if (now - record.LastSeen >= settings.EffectiveTouchInterval)
        {
            await store.TouchAsync(key, now, TimeToLive(record.AbsoluteExpiry, now, settings), cancellationToken);
            record = record with { LastSeen = now };
        }
        return new ResolvedSession(key, record, users.RolesOf(record.User));
    }

    /// <summary>Creates a session with a fresh id for a verified user.</summary>
    public async Task<(SessionId Id, ResolvedSession Session)> CreateAsync(UserEntry user, string method, ClientInfo client, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue.Session;
        var now = time.GetUtcNow();
        var id = SessionId.New();
        var roles = users.RolesOf(user.Name);
        var record = new SessionRecord(user.Name, roles, now, now, now + settings.AbsoluteTimeout, client.Ip, client.UserAgent, user.Stamp, method);
        await store.CreateAsync(id.Key, record, TimeToLive(record.AbsoluteExpiry, now, settings), cancellationToken);
        LogSessionCreated(logger, id.Key.Handle, user.Name, method);
        GatewayTelemetry.SessionCreated(method);
        return (id, new ResolvedSession(id.Key, record, roles));
    }

    /// <summary>Ends a session (logout); true when it existed.</summary>
    public async Task<bool> EndAsync(ResolvedSession session, string reason, CancellationToken cancellationToken)
    {
        var existed = await store.DeleteAsync(session.Key, session.User, cancellationToken);
        LogSessionEnded(logger, session.Key.Handle, session.User, reason);
        GatewayTelemetry.SessionEnded(reason);
        return existed;
    }

    /// <summary>Time the session may still live in the store: the idle timeout, capped by the absolute expiry.</summary>
    public static TimeSpan TimeToLive(DateTimeOffset absoluteExpiry, DateTimeOffset now, SessionOptions settings)
    {
        var remaining = absoluteExpiry - now;
        return remaining < settings.IdleTimeout ? remaining : settings.IdleTimeout;
    }

    private string? EndReason(SessionRecord record, SessionOptions settings, DateTimeOffset now)
    {
        var user = users.Find(record.User);
        if (user is null)
        {
            return "user removed";
        }
        if (user.Stamp != record.PasswordStamp)
        {
            return "password changed";
        }
        if (now >= record.AbsoluteExpiry)
        {
            return "absolute timeout";
        }
        return now >= record.LastSeen + settings.IdleTimeout ? "idle timeout" : null;
    }

    [LoggerMessage(EventId = 1200, EventName = "SessionCreated", Level = LogLevel.Information, Message = "Session {Handle} created for {User} by {Method}.")]
    private static partial void LogSessionCreated(ILogger logger, string handle, string user, string method);

    [LoggerMessage(EventId = 1201, EventName = "SessionEnded", Level = LogLevel.Information, Message = "Session {Handle} of {User} ended: {Reason}.")]
    private static partial void LogSessionEnded(ILogger logger, string handle, string user, string reason);
}
