namespace Gateway.Audit;

/// <summary>Where audit entries are kept for admins: a bounded Redis Stream, or a bounded list in memory.</summary>
internal interface IAuditStore
{
    Task AppendAsync(AuditEvent entry, CancellationToken cancellationToken);

    /// <summary>Newest first; only entries of <paramref name="user"/> when given.</summary>
    Task<IReadOnlyList<AuditEvent>> ReadAsync(string? user, int count, CancellationToken cancellationToken);
}
