namespace Gateway.Sessions;

/// <summary>The per-user session cap applied atomically when a session is indexed: 0 means no cap.</summary>
internal readonly record struct SessionCap(int Max, bool Reject)
{
    public static SessionCap None => new(0, false);
}

/// <summary>Outcome of a create: refused by the cap, or created (possibly after evicting the user's oldest sessions).</summary>
internal sealed record CreateResult(bool Created, IReadOnlyList<SessionKey> Evicted)
{
    public static CreateResult Rejected { get; } = new(false, []);
}
