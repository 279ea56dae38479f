using Gateway.Configuration;
using Microsoft.Extensions.Options;

namespace Gateway.Security;

/// <summary>
/// Brute-force protection for every place a password is checked (login endpoint, Basic on any route). Failures
/// count per user name (from this client address, or from anywhere: <c>Gateway:Login:LockoutScope</c>) and per
/// client address across user names; past either limit the pair is refused with 429 for the ban time, before
/// any hashing, whatever the password. Unknown user names count like known ones, so a ban reveals nothing.
/// </summary>
internal sealed partial class LoginThrottle(IThrottleStore store, IOptionsMonitor<GatewayOptions> options, TimeProvider time, ILogger<LoginThrottle> logger)
{
    /// <summary>How long the caller must wait, or null when it may try a password now.</summary>
    public async Task<TimeSpan?> RetryAfterAsync(string user, string ip, CancellationToken cancellationToken)
    {
        // On every Basic request, live credential link or not: the subjects are asked together (one round trip).
        var now = time.GetUtcNow();
        var bans = await Task.WhenAll(Subjects(user, ip).Select(s => store.GetBanAsync(s.Subject, now, cancellationToken)));
        return bans.Max() - now;
    }

    /// <summary>Counts a failed password; may start a ban for this user (and scope) or this address.</summary>
    public async Task RecordFailureAsync(string user, string ip, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var (subject, rule) in Subjects(user, ip))
        {
            if (await store.RecordFailureAsync(subject, null, rule, now, cancellationToken) is { } until)
            {
                LogBanned(logger, subject.Kind, subject.User ?? "-", subject.Ip ?? "-", until);
                Telemetry.GatewayTelemetry.LoginLockedOut(subject.Kind);
            }
        }
    }

    /// <summary>A correct password (not banned) forgets this user's failures; the address counter stays.</summary>
    public async Task RecordSuccessAsync(string user, string ip, CancellationToken cancellationToken)
    {
        foreach (var (subject, _) in Subjects(user, ip))
        {
            if (subject.User is not null)
            {
                await store.ResetAsync(subject, cancellationToken);
            }
        }
    }

    private IEnumerable<(ThrottleSubject Subject, ThrottleRule Rule)> Subjects(string user, string ip)
    {
        var login = options.CurrentValue.Login;
        var address = ClientAddress.Subject(ip);
        if (login.MaxFailures > 0)
        {
            var scoped = login.LockoutScope == LockoutScope.User ? new ThrottleSubject("login", user, null) : new ThrottleSubject("login", user, address);
            yield return (scoped, new ThrottleRule(login.MaxFailures, login.FailureWindow, login.BanTime));
        }
        if (login.MaxFailuresPerIp > 0)
        {
            yield return (new ThrottleSubject("login-ip", null, address), new ThrottleRule(login.MaxFailuresPerIp, login.FailureWindow, login.BanTime));
        }
    }

    [LoggerMessage(EventId = 1600, EventName = "LoginBanned", Level = LogLevel.Warning,
        Message = "Too many failed logins ({Kind}): user {User} from {Ip} refused until {Until:O}.")]
    private static partial void LogBanned(ILogger logger, string kind, string user, string ip, DateTimeOffset until);
}
