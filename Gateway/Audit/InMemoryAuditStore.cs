using Gateway.Configuration;
using Microsoft.Extensions.Options;

namespace Gateway.Audit;

/// <summary>The last <c>Gateway:Audit:MaxEntries</c> entries, in this process only.</summary>
internal sealed class InMemoryAuditStore(IOptions<GatewayOptions> options) : IAuditStore
{
    private readonly LinkedList<AuditEvent> _entries = new();
    private readonly Lock _lock = new();

    public Task AppendAsync(AuditEvent entry, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _entries.AddFirst(entry);
            while (_entries.Count > options.Value.Audit.MaxEntries)
            {
                _entries.RemoveLast();
            }
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<AuditEvent>> ReadAsync(string? user, int count, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<AuditEvent>>(_entries.Where(e => user is null || e.User == user).Take(count).ToList());
        }
    }
}
