namespace Gateway.Audit;

/// <summary>The two audit streams (lifecycle, security) read as one: newest first.</summary>
internal static class AuditMerge
{
    /// <summary>
    /// Merges two lists that are each newest first into the first <paramref name="count"/> entries, newest first. Entries
    /// with equal times (a clock that did not move, several events in one millisecond) are ordered by
    /// <paramref name="sequence"/>, the store's own order of writing (higher is newer); only when that ties too does
    /// the security entry come first.
    /// </summary>
    public static IReadOnlyList<AuditEvent> NewestFirst<T>(IReadOnlyList<T> lifecycle, IReadOnlyList<T> security, int count,
        Func<T, AuditEvent> entry, Func<T, long> sequence)
    {
        var merged = new List<AuditEvent>(Math.Min(count, lifecycle.Count + security.Count));
        int l = 0, s = 0;
        while (merged.Count < count && (l < lifecycle.Count || s < security.Count))
        {
            var takeSecurity = l >= lifecycle.Count || (s < security.Count && IsNotOlder(security[s], lifecycle[l]));
            merged.Add(entry(takeSecurity ? security[s++] : lifecycle[l++]));
        }
        return merged;

        bool IsNotOlder(T a, T b)
        {
            var byTime = entry(a).Time.CompareTo(entry(b).Time);
            return byTime > 0 || (byTime == 0 && sequence(a) >= sequence(b));
        }
    }
}
