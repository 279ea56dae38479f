using Gateway.Audit;
using Gateway.Telemetry;
using StackExchange.Redis;

namespace Gateway.Sessions;

/// <summary>
/// Records session events as structured logs (always: event 1700, Warning for security events, Information for the
/// lifecycle, so a log pipeline keeps what the capped store drops) and in the audit store for admins (best effort: an
/// audit write that fails never fails the user's request, it is logged instead).
/// </summary>
internal sealed partial class AuditTrail(IAuditStore store, TimeProvider time, ILogger<AuditTrail> logger)
{
    public async Task RecordAsync(string kind, string user, SessionKey? key, string? detail, string? by, string? ip)
    {
        var entry = new AuditEvent(time.GetUtcNow(), kind, user, key?.Handle, detail, by, ip);
        var security = entry.IsSecurity;
        LogAudit(logger, security ? LogLevel.Warning : LogLevel.Information, kind, user, entry.Handle ?? "-", detail ?? "-", by ?? "-", ip ?? "-",
            security ? "security" : "lifecycle");
        if (kind == "created")
        {
            GatewayTelemetry.SessionCreated(detail ?? "");
        }
        else if (kind is "revoked" or "expired")
        {
            GatewayTelemetry.SessionEnded(kind, detail ?? "");
        }
        try
        {
            await store.AppendAsync(entry, CancellationToken.None);
        }
        catch (Exception e) when (e is RedisException or TimeoutException or SessionStoreUnavailableException)
        {
            LogAuditWriteFailed(logger, kind, e.GetType().Name);
        }
    }

    public Task<IReadOnlyList<AuditEvent>> ReadAsync(string? user, int count, CancellationToken cancellationToken) =>
        store.ReadAsync(user, count, cancellationToken);

    [LoggerMessage(EventId = 1700, EventName = "Audit",
        Message = "audit {Kind} user={User} session={Handle} detail={Detail} by={By} ip={Ip} class={AuditClass}")]
    private static partial void LogAudit(ILogger logger, LogLevel level, string kind, string user, string handle, string detail, string by, string ip, string auditClass);

    [LoggerMessage(EventId = 1701, EventName = "AuditWriteFailed", Level = LogLevel.Warning, Message = "Could not write audit event {Kind} to the store: {Cause}.")]
    private static partial void LogAuditWriteFailed(ILogger logger, string kind, string cause);
}
