using System.Buffers.Text;
using System.Diagnostics;
using System.Security.Cryptography;
using Gateway.Configuration;
using Microsoft.Extensions.Options;

namespace Gateway.Security;

/// <summary>
/// Brute-force protection for every place a password is checked (login endpoint, Basic on any route). Failures
/// count per user name (from this client address, or from anywhere: <c>Gateway:Login:LockoutScope</c>) and per
/// client address across user names; past either limit the pair is refused with 429 for the ban time, before
/// any hashing, whatever the password. A check holds its place in the count from before the hash until its
/// outcome is known, so parallel guesses get no more checks than the limit: a check that finds every place left
/// held by checks in progress waits for one to end (then meets the ban their failures started, or goes ahead when
/// they succeeded). Unknown user names count like known ones, so a ban reveals nothing.
/// </summary>
internal sealed partial class LoginThrottle(IThrottleStore store, IOptionsMonitor<GatewayOptions> options, TimeProvider time, ILogger<LoginThrottle> logger)
{
    /// <summary>How long a check may hold its place before the store gives it back (an instance that died mid-check).</summary>
    private static readonly TimeSpan AttemptLease = TimeSpan.FromMinutes(1);

    /// <summary>The wait told to a caller that found every place held for longer than <see cref="MaxWait"/>.</summary>
    private static readonly TimeSpan BusyRetry = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a check waits for a check in progress to end (polling the store after 5, 10, ... 160 ms, then every
    /// 200 ms, and woken at once when one of this process ends). Real time: counted in rounds, a waiter woken by every
    /// login of a busy user would give up after a second or two of losing the place to others.
    /// </summary>
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(9);

    private readonly LoginSubjects _subjects = new(options);
    private readonly LocalPlaces _local = new();

    // Completed (and replaced) whenever a check of this process gives its place back; checks of other instances
    // are seen by polling.
    private TaskCompletionSource _released = NewSignal();

    /// <summary>How long the caller must wait (banned), or null when it is not banned.</summary>
    public async Task<TimeSpan?> RetryAfterAsync(string user, string ip, CancellationToken cancellationToken)
    {
        // On every Basic request, live credential link or not: the subjects are asked together (one round trip), and
        // usually answered at once from the near cache's memo.
        var now = time.GetUtcNow();
        var subjects = _subjects.For(user, ip);
        var asks = new Task<DateTimeOffset?>[subjects.Length];
        for (var i = 0; i < asks.Length; i++)
        {
            asks[i] = store.GetBanAsync(subjects[i].Subject, now, cancellationToken);
        }
        if (Array.Exists(asks, ask => !ask.IsCompletedSuccessfully))
        {
            // Together, so that one failing leaves no other unobserved.
            await Task.WhenAll(asks);
        }
        DateTimeOffset? until = null;
        foreach (var ask in asks)
        {
            if (await ask is { } end && (until is null || end > until.Value))
            {
                until = end;
            }
        }
        return until - now;
    }

    /// <summary>
    /// Reserves one password check for the user from this address, before any hashing; while checks in progress
    /// hold every place left, waits for one to end. The attempt says how long to wait when refused (banned, or the
    /// places stayed held for about 9 s); else it must be ended with its outcome, or disposed (which gives the
    /// place back uncounted).
    /// </summary>
    public async Task<LoginAttempt> BeginAsync(string user, string ip, CancellationToken cancellationToken)
    {
        var id = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(12));
        var subjects = _subjects.For(user, ip);
        var started = Stopwatch.GetTimestamp();
        for (var round = 0; ; round++)
        {
            var released = Volatile.Read(ref _released).Task;
            // While this process holds every place of a subject, the store would refuse: wait for one of ours to end.
            if (_local.TryClaim(subjects) is { } claim)
            {
                var now = time.GetUtcNow();
                Reservation[] reservations;
                try
                {
                    reservations = await Task.WhenAll(subjects.Select(s => store.ReserveAsync(s.Subject, id, s.Rule, now, AttemptLease, cancellationToken)));
                }
                catch
                {
                    claim.Dispose();
                    throw;
                }
                if (reservations.All(r => r.Granted))
                {
                    return new LoginAttempt(this, id, subjects, claim, null);
                }
                var granted = subjects.Where((_, i) => reservations[i].Granted).ToList();
                try
                {
                    // Held for a moment only: not signalled, or waiters would wake each other in a loop.
                    await Task.WhenAll(granted.Select(s => store.ReleaseAsync(s.Subject, id, cancellationToken)));
                }
                finally
                {
                    claim.Dispose();
                }
                if (reservations.Max(r => r.BannedUntil) is { } until)
                {
                    return new LoginAttempt(this, id, [], null, until - now);
                }
            }
            if (Stopwatch.GetElapsedTime(started) >= MaxWait)
            {
                return new LoginAttempt(this, id, [], null, BusyRetry);
            }
            // Real time, not the rules' clock: this waits for other requests' hashes to finish.
            await Task.WhenAny(released, Task.Delay(Math.Min(5 << Math.Min(round, 6), 200), cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>Counts a failed check (may start a ban for this user and scope, or this address), then gives its place back.</summary>
    internal async Task FailedAsync(string attempt, IReadOnlyList<(ThrottleSubject Subject, ThrottleRule Rule)> subjects, IDisposable? claim, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var (subject, rule) in subjects)
        {
            // Counted before the place is given back: the sum of both never dips below the truth.
            if (await store.RecordFailureAsync(subject, null, rule, now, cancellationToken) is { } until)
            {
                LogBanned(logger, subject.Kind, subject.User ?? "-", subject.Ip ?? "-", until);
                Telemetry.GatewayTelemetry.LoginLockedOut(subject.Kind);
            }
            await store.ReleaseAsync(subject, attempt, cancellationToken);
        }
        claim?.Dispose();
        Signal();
    }

    /// <summary>A correct password forgets this user's failures (the address counter stays) and gives the places back.</summary>
    internal async Task SucceededAsync(string attempt, IReadOnlyList<(ThrottleSubject Subject, ThrottleRule Rule)> subjects, IDisposable? claim, CancellationToken cancellationToken)
    {
        // Nothing counted here, so no order to keep: the subjects together, each in one call.
        await Task.WhenAll(subjects.Select(s => s.Subject.User is not null
            ? store.SucceededAsync(s.Subject, attempt, cancellationToken)
            : store.ReleaseAsync(s.Subject, attempt, cancellationToken)));
        claim?.Dispose();
        Signal();
    }

    /// <summary>Gives the places of an attempt that ended without an outcome (abort, error) back, uncounted.</summary>
    internal async Task ReleaseAsync(string attempt, IReadOnlyList<(ThrottleSubject Subject, ThrottleRule Rule)> subjects, IDisposable? claim, CancellationToken cancellationToken)
    {
        try
        {
            await Task.WhenAll(subjects.Select(s => store.ReleaseAsync(s.Subject, attempt, cancellationToken)));
        }
        finally
        {
            // Also when the store failed: its lease gives the place back there, and this process must not keep it here.
            claim?.Dispose();
            Signal();
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void Signal() => Interlocked.Exchange(ref _released, NewSignal()).TrySetResult();

    [LoggerMessage(EventId = 1600, EventName = "LoginBanned", Level = LogLevel.Warning,
        Message = "Too many failed logins ({Kind}): user {User} from {Ip} refused until {Until:O}.")]
    private static partial void LogBanned(ILogger logger, string kind, string user, string ip, DateTimeOffset until);
}
