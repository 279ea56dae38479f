namespace Gateway.Configuration;

/// <summary>The <c>Gateway:Audit</c> section.</summary>
public sealed class AuditOptions
{
    /// <summary>Entries kept in the audit stream (approximately, <c>XADD MAXLEN ~</c>). Default 10000.</summary>
    public int MaxEntries { get; set; } = 10_000;
}
