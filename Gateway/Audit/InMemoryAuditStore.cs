using Gateway.Configuration;
using Microsoft.Extensions.Options;

namespace Gateway.Audit;

/// <summary>
/// The last <c>Gateway:Audit:MaxEntries</c> lifecycle entries and the last <c>Gateway:Audit:MaxSecurityEntries</c>
/// security entries (<see cref="AuditEvent.IsSecurity"/>), in this process only.
/// </summary>
internal sealed class InMemoryAuditStore(IOptions<GatewayOptions> options) : IAuditStore
{
    private readonly LinkedList<(long Sequence, AuditEvent Entry)> _lifecycle = new();
    private readonly LinkedList<(long Sequence, AuditEvent Entry)> _security = new();
    private readonly Lock _lock = new();
    private long _sequence;

    public Task AppendAsync(AuditEvent entry, CancellationToken cancellationToken)
    {
        var (entries, cap) = entry.IsSecurity ? (_security, options.Value.Audit.MaxSecurityEntries) : (_lifecycle, options.Value.Audit.MaxEntries);
        lock (_lock)
        {
            entries.AddFirst((++_sequence, entry));
            while (entries.Count > cap)
            {
                entries.RemoveLast();
            }
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<AuditEvent>> ReadAsync(string? user, int count, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            List<(long Sequence, AuditEvent Entry)> Of(LinkedList<(long Sequence, AuditEvent Entry)> entries) =>
                entries.Where(e => user is null || e.Entry.User == user).Take(count).ToList();
            return Task.FromResult(AuditMerge.NewestFirst(Of(_lifecycle), Of(_security), count, e => e.Entry, e => e.Sequence));
        }
    }
}
