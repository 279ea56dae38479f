using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Gateway.Security;

/// <summary>
/// Failure counters and bans shared by every gateway instance (Redis) or held by one process (in memory).
/// Time is passed in by the caller (the gateway's <see cref="TimeProvider"/>), so windows and bans follow one
/// clock; the store's own expiry only cleans up. Every method is bounded by the store timeout or throws
/// <see cref="Sessions.SessionStoreUnavailableException"/>.
/// </summary>
internal interface IThrottleStore
{
    /// <summary>When the subject's ban ends, or null when it is not banned at <paramref name="now"/>.</summary>
    Task<DateTimeOffset?> GetBanAsync(ThrottleSubject subject, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Counts one failure (or, with <paramref name="member"/>, one distinct member) in a window that starts at
    /// the first failure; at <paramref name="limit"/> the subject is banned until <c>now + ban</c>. Returns the
    /// ban's end when the subject is banned after this call.
    /// </summary>
    Task<DateTimeOffset?> RecordFailureAsync(ThrottleSubject subject, string? member, ThrottleRule rule, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Reserves a place for one password check before it runs: granted while the window's failures plus the checks
    /// still in progress stay under <see cref="ThrottleRule.Limit"/>, so parallel guesses cannot all pass before
    /// the first failure is counted. A place is given back by <see cref="ReleaseAsync"/> (after
    /// <see cref="RecordFailureAsync"/> when the check failed), or by itself at <c>now + lease</c> (an instance that
    /// died mid-check).
    /// </summary>
    Task<Reservation> ReserveAsync(ThrottleSubject subject, string attempt, ThrottleRule rule, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Gives back the place of a check reserved with <see cref="ReserveAsync"/>; nothing when there is none.</summary>
    Task ReleaseAsync(ThrottleSubject subject, string attempt, CancellationToken cancellationToken);

    /// <summary>Forgets the subject's failures (not its ban, nor the checks in progress).</summary>
    Task ResetAsync(ThrottleSubject subject, CancellationToken cancellationToken);

    /// <summary>
    /// A check that succeeded: <see cref="ResetAsync"/> and <see cref="ReleaseAsync"/> of its place, in one round trip
    /// where the store allows (every successful login runs it).
    /// </summary>
    Task SucceededAsync(ThrottleSubject subject, string attempt, CancellationToken cancellationToken);

    /// <summary>Bans in force at <paramref name="now"/>, soonest ending first, at most <paramref name="max"/>.</summary>
    Task<IReadOnlyList<Ban>> ListBansAsync(DateTimeOffset now, int max, CancellationToken cancellationToken);

    /// <summary>Lifts a ban (and its failures) by id; the lifted ban, or null when there was none.</summary>
    Task<Ban?> LiftAsync(string id, CancellationToken cancellationToken);
}

/// <summary>
/// Outcome of <see cref="IThrottleStore.ReserveAsync"/>: granted, or refused because the subject is banned (until
/// <see cref="BannedUntil"/>) or because checks in progress hold the places left (<see cref="BannedUntil"/> null).
/// </summary>
internal readonly record struct Reservation(bool Granted, DateTimeOffset? BannedUntil);

/// <summary>Limit, window and ban time of one kind of counter.</summary>
internal readonly record struct ThrottleRule(int Limit, TimeSpan Window, TimeSpan BanTime);

/// <summary>
/// What a counter counts: a kind (<c>login</c>, <c>login-ip</c>, <c>guess</c>) and the user and/or client
/// address. <see cref="Id"/> is a SHA-256 of the three: fixed length, safe in keys and URLs.
/// </summary>
internal sealed record ThrottleSubject(string Kind, string? User, string? Ip)
{
    public string Id { get; } = Hash(Kind, User, Ip);

    private static string Hash(string kind, string? user, string? ip) =>
        Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\0', kind, user ?? "", ip ?? ""))))[..22];
}

/// <summary>A ban in force, as shown to administrators.</summary>
internal sealed record Ban(string Id, string Kind, string? User, string? Ip, DateTimeOffset Until, int Failures);
