namespace Gateway.Sessions;

/// <summary>The active-session count of the in-memory store: one pass over the process's own sessions.</summary>
internal sealed partial class InMemorySessionStore
{
    public Task<long> CountActiveAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        Task.FromResult(_sessions.Values.LongCount(entry => entry.ExpiresAt > now));
}
