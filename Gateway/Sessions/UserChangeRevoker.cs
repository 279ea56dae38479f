using Gateway.Users;

namespace Gateway.Sessions;

/// <summary>
/// Ends, when the users file reloads, every session and remember-me token of each user it removed or whose password
/// it changed, through the per-user index: checking the password stamp when a session is next presented is not
/// enough, since a line restored unchanged (or a password changed back) would revive sessions idle meanwhile. Each
/// session is audited as <c>revoked</c> (by <c>users_file</c>) and its deletion published to the other instances as
/// any revocation is. Runs on the instance that saw the reload.
/// </summary>
internal sealed partial class UserChangeRevoker(UserStore users, SessionService sessions, RememberMeService remember, ILogger<UserChangeRevoker> logger)
    : IHostedService
{
    private readonly Lock _lock = new();
    private Task _pending = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        users.UsersEnded += OnUsersEnded;
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        users.UsersEnded -= OnUsersEnded;
        Task pending;
        lock (_lock)
        {
            pending = _pending;
        }
        await pending.WaitAsync(cancellationToken);
    }

    // Called on the file watcher's thread: the store work runs after the revocations already queued, one reload at a time.
    private void OnUsersEnded(IReadOnlyList<(string User, string Reason)> ended)
    {
        lock (_lock)
        {
            _pending = _pending.ContinueWith(_ => RevokeAsync(ended), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
        }
    }

    internal async Task RevokeAsync(IReadOnlyList<(string User, string Reason)> ended)
    {
        foreach (var (user, reason) in ended)
        {
            try
            {
                var count = await sessions.RevokeAllAsync(user, reason, "users_file", null, CancellationToken.None);
                await remember.RevokeAllAsync(user, CancellationToken.None);
                LogRevoked(logger, user, reason, count);
            }
            catch (Exception e)
            {
                // Nobody waits on this work: a failure is logged, never thrown into the file watcher or at shutdown.
                LogRevokeFailed(logger, user, reason, e is SessionStoreUnavailableException { TimedOut: true } ? "timeout" : e.GetType().Name);
            }
        }
    }

    [LoggerMessage(EventId = 1108, EventName = "UserSessionsEnded", Level = LogLevel.Information,
        Message = "Users file: {Reason} for {User}; ended {Count} sessions and the remember-me tokens.")]
    private static partial void LogRevoked(ILogger logger, string user, string reason, int count);

    [LoggerMessage(EventId = 1109, EventName = "UserSessionsEndFailed", Level = LogLevel.Error,
        Message = "Users file: {Reason} for {User}, but the store could not end the sessions ({Cause}); they end when next presented while the change stands.")]
    private static partial void LogRevokeFailed(ILogger logger, string user, string reason, string cause);
}
