namespace Gateway.Configuration;

/// <summary>The <c>Gateway:Users</c> section.</summary>
public sealed class UsersOptions
{
    /// <summary>htpasswd file (bcrypt only), reloaded on change. Default empty: the embedded demo file (user <c>demo</c>, password <c>demo</c>).</summary>
    public string File { get; set; } = "";

    /// <summary>User name to roles. Default empty.</summary>
    public Dictionary<string, string[]> Roles { get; set; } = new(StringComparer.Ordinal);
}
