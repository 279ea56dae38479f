using Gateway.Sessions;

namespace Gateway.Security;

/// <summary>
/// One password check holding its place in the login throttle's counts (<see cref="LoginThrottle.BeginAsync"/>).
/// Refused when <see cref="RetryAfter"/> is set. A granted attempt is ended by <see cref="FailedAsync"/> or
/// <see cref="SucceededAsync"/>; disposing one that was not ended (the client went away, the store failed) gives
/// its place back uncounted.
/// </summary>
internal sealed class LoginAttempt(LoginThrottle throttle, string id, IReadOnlyList<(ThrottleSubject Subject, ThrottleRule Rule)> subjects,
    LocalPlaces.Claim? claim, TimeSpan? retryAfter)
    : IAsyncDisposable
{
    private bool _ended = subjects.Count == 0;

    /// <summary>Set when the check may not run: how long the caller must wait.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;

    // Ended only once the store took the outcome: when it failed half-way, disposing still gives the places back.
    public async Task FailedAsync(CancellationToken cancellationToken)
    {
        await throttle.FailedAsync(id, subjects, claim, cancellationToken);
        _ended = true;
    }

    public async Task SucceededAsync(CancellationToken cancellationToken)
    {
        await throttle.SucceededAsync(id, subjects, claim, cancellationToken);
        _ended = true;
    }

    public async ValueTask DisposeAsync()
    {
        if (_ended)
        {
            return;
        }
        _ended = true;
        try
        {
            await throttle.ReleaseAsync(id, subjects, claim, CancellationToken.None);
        }
        catch (SessionStoreUnavailableException)
        {
            // The lease gives the place back on its own; the request's own error is the one to report.
        }
    }
}
