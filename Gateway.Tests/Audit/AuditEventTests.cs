using Gateway.Audit;
using Gateway.Sessions;
using Gateway.Configuration;
using Gateway.Tests.Fixtures;
using Microsoft.Extensions.Logging;

namespace Gateway.Tests.Audit;

public sealed class AuditEventTests
{
    [Theory]
    [InlineData("created", "alice", "form", null, false)]
    [InlineData("rotated", "alice", "renewal", "abc", false)]
    [InlineData("expired", "alice", "idle_timeout", "gateway", false)]
    [InlineData("revoked", "alice", "logout", "alice", false)]
    [InlineData("revoked", "alice", "self", "alice", false)]
    [InlineData("revoked", "alice", "cap", "gateway", false)]
    [InlineData("revoked", "alice", "remember_revoked", "gateway", false)]
    [InlineData("revoked", "alice", "undelivered", "gateway", false)]
    [InlineData("revoked", "alice", "admin", "bob", true)]
    [InlineData("revoked", "alice", "admin", "cli", true)]
    [InlineData("revoked", "alice", "theft", "gateway", true)]
    [InlineData("revoked", "alice", "binding", "gateway", true)]
    [InlineData("revoked", "alice", "user_removed", "users_file", true)]
    [InlineData("login_failed", "alice", "wrongpassword", null, true)]
    [InlineData("remember_theft", "alice", "validator_mismatch", null, true)]
    [InlineData("ban_lifted", "alice", null, "bob", true)]
    public void IsSecurity_Event_ClassedAsExpected(string kind, string user, string? detail, string? by, bool security)
    {
        Assert.Equal(security, new AuditEvent(DateTimeOffset.UnixEpoch, kind, user, null, detail, by, null).IsSecurity);
    }

    [Fact]
    public async Task RecordAsync_SecurityAndLifecycle_StructuredLogEventWithClassAndLevel()
    {
        var logs = new LogCapture();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        var trail = new AuditTrail(new InMemoryAuditStore(Microsoft.Extensions.Options.Options.Create(new GatewayOptions())), TimeProvider.System,
            factory.CreateLogger<AuditTrail>());

        await trail.RecordAsync("login_failed", "alice", null, "wrongpassword", null, "192.0.2.1");
        await trail.RecordAsync("created", "alice", null, "form", null, "192.0.2.1");

        var entries = logs.Entries.Where(e => e.EventId.Id == 1700).ToList();
        Assert.Equal([LogLevel.Warning, LogLevel.Information], entries.Select(e => e.Level));
        Assert.Contains("AuditClass=security", entries[0].Values);
        Assert.Contains("User=alice", entries[0].Values);
        Assert.Contains("AuditClass=lifecycle", entries[1].Values);
    }
}
