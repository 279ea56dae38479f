namespace Gateway.Audit;

/// <summary>The two audit streams (lifecycle, security) read as one: newest first.</summary>
internal static class AuditMerge
{
    /// <summary>
    /// Merges two lists that are each newest first into the first <paramref name="count"/> entries, newest first; on
    /// equal times the security entry comes first (ties within one list keep their order).
    /// </summary>
    public static IReadOnlyList<AuditEvent> NewestFirst(IReadOnlyList<AuditEvent> lifecycle, IReadOnlyList<AuditEvent> security, int count)
    {
        var merged = new List<AuditEvent>(Math.Min(count, lifecycle.Count + security.Count));
        int l = 0, s = 0;
        while (merged.Count < count && (l < lifecycle.Count || s < security.Count))
        {
            var takeSecurity = l >= lifecycle.Count || (s < security.Count && security[s].Time >= lifecycle[l].Time);
            merged.Add(takeSecurity ? security[s++] : lifecycle[l++]);
        }
        return merged;
    }
}
