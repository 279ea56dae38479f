namespace Gateway.Sessions;

/// <summary>The per-user session cap applied atomically when a session is indexed: 0 means no cap.</summary>
internal readonly record struct SessionCap(int Max, bool Reject)
{
    public static SessionCap None => new(0, false);
}

/// <summary>
/// Outcome of a create: refused by the cap, or created (possibly after evicting the user's oldest sessions; only
/// sessions that existed are listed). A created session is live when the store answers: only a later login can evict it.
/// </summary>
internal sealed record CreateResult(bool Created, IReadOnlyList<EvictedSession> Evicted)
{
    public static CreateResult Rejected { get; } = new(false, []);
}

/// <summary>A session the cap evicted, with the remember-me token it came with ("" for none), which goes with it.</summary>
internal readonly record struct EvictedSession(SessionKey Key, string RememberSelector);
