using System.Buffers.Text;
using System.Collections.Concurrent;
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

    /// <summary>The wait told to a caller that found every place held for longer than <see cref="MaxWaitRounds"/> allow.</summary>
    private static readonly TimeSpan BusyRetry = TimeSpan.FromSeconds(1);

    /// <summary>Rounds of waiting for a check in progress to end: 5, 10, ... 160 ms, then 200 ms each, about 9 s in all.</summary>
    private const int MaxWaitRounds = 50;

    /// <summary>Most (user, address) pairs whose subjects are kept; past it the map starts over.</summary>
    private const int MaxKeptSubjects = 10_000;

    /// <summary>Longest user name whose subjects are kept.</summary>
    private const int MaxKeptUserLength = 128;

    // The subjects of recent (user, address) pairs: their ids are SHA-256 hashes, and a cookie-less Basic client asks
    // for the same ones on every request.
    private readonly ConcurrentDictionary<(string User, string Ip), KeptSubjects> _subjects = new();

    // Completed (and replaced) whenever a check of this process gives its place back; checks of other instances
    // are seen by polling.
    private TaskCompletionSource _released = NewSignal();

    /// <summary>How long the caller must wait (banned), or null when it is not banned.</summary>
    public async Task<TimeSpan?> RetryAfterAsync(string user, string ip, CancellationToken cancellationToken)
    {
        // On every Basic request, live credential link or not: the subjects are asked together (one round trip), and
        // usually answered at once from the near cache's memo.
        var now = time.GetUtcNow();
        var subjects = Subjects(user, ip);
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
        var subjects = Subjects(user, ip);
        for (var round = 0; ; round++)
        {
            var released = Volatile.Read(ref _released).Task;
            var now = time.GetUtcNow();
            var reservations = await Task.WhenAll(subjects.Select(s => store.ReserveAsync(s.Subject, id, s.Rule, now, AttemptLease, cancellationToken)));
            if (reservations.All(r => r.Granted))
            {
                return new LoginAttempt(this, id, subjects, null);
            }
            var granted = subjects.Where((_, i) => reservations[i].Granted).ToList();
            // Held for a moment only: not signalled, or waiters would wake each other in a loop.
            await Task.WhenAll(granted.Select(s => store.ReleaseAsync(s.Subject, id, cancellationToken)));
            if (reservations.Max(r => r.BannedUntil) is { } until)
            {
                return new LoginAttempt(this, id, [], until - now);
            }
            if (round == MaxWaitRounds)
            {
                return new LoginAttempt(this, id, [], BusyRetry);
            }
            // Real time, not the rules' clock: this waits for other requests' hashes to finish.
            await Task.WhenAny(released, Task.Delay(Math.Min(5 << Math.Min(round, 6), 200), cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>Counts a failed check (may start a ban for this user and scope, or this address), then gives its place back.</summary>
    internal async Task FailedAsync(string attempt, IReadOnlyList<(ThrottleSubject Subject, ThrottleRule Rule)> subjects, CancellationToken cancellationToken)
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
        Signal();
    }

    /// <summary>A correct password forgets this user's failures (the address counter stays) and gives the places back.</summary>
    internal async Task SucceededAsync(string attempt, IReadOnlyList<(ThrottleSubject Subject, ThrottleRule Rule)> subjects, CancellationToken cancellationToken)
    {
        foreach (var (subject, _) in subjects)
        {
            if (subject.User is not null)
            {
                await store.ResetAsync(subject, cancellationToken);
            }
            await store.ReleaseAsync(subject, attempt, cancellationToken);
        }
        Signal();
    }

    /// <summary>Gives the places of an attempt that ended without an outcome (abort, error) back, uncounted.</summary>
    internal async Task ReleaseAsync(string attempt, IReadOnlyList<(ThrottleSubject Subject, ThrottleRule Rule)> subjects, CancellationToken cancellationToken)
    {
        await Task.WhenAll(subjects.Select(s => store.ReleaseAsync(s.Subject, attempt, cancellationToken)));
        Signal();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void Signal() => Interlocked.Exchange(ref _released, NewSignal()).TrySetResult();

    private (ThrottleSubject Subject, ThrottleRule Rule)[] Subjects(string user, string ip)
    {
        var login = options.CurrentValue.Login;
        if (_subjects.TryGetValue((user, ip), out var kept) && ReferenceEquals(kept.Login, login))
        {
            return kept.Subjects;
        }
        var subjects = Subjects(login, user, ClientAddress.Subject(ip));
        // Long names are not kept: a guesser must not fill memory with them (real user names are short).
        if (user.Length <= MaxKeptUserLength)
        {
            if (_subjects.Count >= MaxKeptSubjects)
            {
                _subjects.Clear();
            }
            _subjects[(user, ip)] = new KeptSubjects(login, subjects);
        }
        return subjects;
    }

    private static (ThrottleSubject Subject, ThrottleRule Rule)[] Subjects(LoginOptions login, string user, string address)
    {
        var subjects = new List<(ThrottleSubject Subject, ThrottleRule Rule)>(2);
        if (login.MaxFailures > 0)
        {
            var scoped = login.LockoutScope == LockoutScope.User ? new ThrottleSubject("login", user, null) : new ThrottleSubject("login", user, address);
            subjects.Add((scoped, new ThrottleRule(login.MaxFailures, login.FailureWindow, login.BanTime)));
        }
        if (login.MaxFailuresPerIp > 0)
        {
            subjects.Add((new ThrottleSubject("login-ip", null, address), new ThrottleRule(login.MaxFailuresPerIp, login.FailureWindow, login.BanTime)));
        }
        return [.. subjects];
    }

    /// <summary>The subjects of one (user, address) pair, under the login settings they were made with.</summary>
    private sealed record KeptSubjects(LoginOptions Login, (ThrottleSubject Subject, ThrottleRule Rule)[] Subjects);

    [LoggerMessage(EventId = 1600, EventName = "LoginBanned", Level = LogLevel.Warning,
        Message = "Too many failed logins ({Kind}): user {User} from {Ip} refused until {Until:O}.")]
    private static partial void LogBanned(ILogger logger, string kind, string user, string ip, DateTimeOffset until);
}
