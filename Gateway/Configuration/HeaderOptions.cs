namespace Gateway.Configuration;

/// <summary>The <c>Gateway:Headers</c> section.</summary>
public sealed class HeaderOptions
{
    /// <summary>User name header. Default <c>X-Auth-User</c>.</summary>
    public string User { get; set; } = "X-Auth-User";

    /// <summary>Comma-separated roles header. Default <c>X-Auth-Roles</c>.</summary>
    public string Roles { get; set; } = "X-Auth-Roles";

    /// <summary>Non-secret session handle header. Default <c>X-Auth-Session</c>.</summary>
    public string Session { get; set; } = "X-Auth-Session";

    /// <summary>Signed identity assertion header (when <c>Gateway:Assertion:Enabled</c>). Default <c>X-Auth-Assertion</c>.</summary>
    public string Assertion { get; set; } = "X-Auth-Assertion";

    /// <summary>Forward Basic <c>Authorization</c> to backends that need it. Default false (removed).</summary>
    public bool ForwardAuthorization { get; set; }
}
