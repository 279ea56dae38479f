using System.Collections.Concurrent;

namespace Gateway.Sessions;

/// <summary>The sweep shared by the process's bounded, short-lived maps (near cache, id → key cache).</summary>
internal static class ExpiringEntries
{
    /// <summary>
    /// Drops entries whose expiry (a timestamp) has passed, at most once per <paramref name="lifetimeTicks"/> across
    /// threads; true when the map then has room under <paramref name="capacity"/>.
    /// </summary>
    public static bool Sweep<TEntry>(ConcurrentDictionary<string, TEntry> entries, Func<TEntry, long> expires, ref long lastSweep,
        long now, long lifetimeTicks, int capacity)
    {
        var last = Interlocked.Read(ref lastSweep);
        if (now - last >= lifetimeTicks && Interlocked.CompareExchange(ref lastSweep, now, last) == last)
        {
            foreach (var (key, entry) in entries)
            {
                if (now >= expires(entry))
                {
                    entries.TryRemove(key, out _);
                }
            }
        }
        return entries.Count < capacity;
    }
}
