using System.Collections.Concurrent;
using Gateway.Configuration;
using Gateway.Sessions;
using Microsoft.Extensions.Options;

namespace Gateway.Security;

/// <summary>
/// Throttles clients that present many distinct unknown session ids (never issued, or ended): past
/// <c>Gateway:Guessing:MaxUnknownIds</c> in the window, every request from that address carrying a session id
/// gets 429 for the ban time, before the store is asked. Counting is shared through the store; the ban is also
/// remembered in this process so a banned guesser costs no store lookup. Repeats of one stale id count once, so a
/// client retrying with an expired cookie is not mistaken for a guesser.
/// </summary>
internal sealed partial class SessionGuessingGuard(IThrottleStore store, IOptionsMonitor<GatewayOptions> options, TimeProvider time, ILogger<SessionGuessingGuard> logger)
{
    private const int MaxRemembered = 10_000;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _banned = new(StringComparer.Ordinal);

    /// <summary>Time left on this address's ban as known to this process, or null.</summary>
    public TimeSpan? RetryAfter(HttpContext context)
    {
        if (_banned.IsEmpty || !_banned.TryGetValue(ClientAddress.Of(context), out var until))
        {
            return null;
        }
        var left = until - time.GetUtcNow();
        return left > TimeSpan.Zero ? left : null;
    }

    /// <summary>Counts an unknown id from this address; the time left on its ban when it is (now) banned.</summary>
    public async Task<TimeSpan?> RecordUnknownAsync(HttpContext context, SessionKey key, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue.Guessing;
        if (settings.MaxUnknownIds == 0)
        {
            return null;
        }
        var address = ClientAddress.Of(context);
        var now = time.GetUtcNow();
        var rule = new ThrottleRule(settings.MaxUnknownIds, settings.Window, settings.BanTime);
        if (await store.RecordFailureAsync(new ThrottleSubject("guess", null, address), key.Handle, rule, now, cancellationToken) is not { } until)
        {
            return null;
        }
        if (_banned.Count >= MaxRemembered)
        {
            foreach (var expired in _banned.Where(b => b.Value <= now).Select(b => b.Key).ToList())
            {
                _banned.TryRemove(expired, out _);
            }
        }
        if (_banned.TryAdd(address, until))
        {
            LogGuessing(logger, address, settings.MaxUnknownIds, until);
        }
        else
        {
            _banned[address] = until;
        }
        return until - now;
    }

    /// <summary>Forgets this process's memory of a ban an administrator lifted.</summary>
    public void Forget(string? address)
    {
        if (address is not null)
        {
            _banned.TryRemove(address, out _);
        }
    }

    [LoggerMessage(EventId = 1601, EventName = "SessionIdGuessing", Level = LogLevel.Warning,
        Message = "Client {Ip} presented over {Limit} unknown session ids: refused until {Until:O}.")]
    private static partial void LogGuessing(ILogger logger, string ip, int limit, DateTimeOffset until);
}
