namespace Gateway.Configuration;

/// <summary>One <c>Gateway:Policies:&lt;name&gt;</c> entry.</summary>
public sealed class PolicyOptions
{
    /// <summary>The caller needs any one of these roles. Default none (the policy then only needs a session).</summary>
    public string[] Roles { get; set; } = [];
}
