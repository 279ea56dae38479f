namespace Gateway.Configuration;

/// <summary>The <c>Gateway:Login</c> section.</summary>
public sealed class LoginOptions
{
    /// <summary>Realm in the Basic challenge. Default <c>Gateway</c>.</summary>
    public string Realm { get; set; } = "Gateway";

    /// <summary>Title of the login page. Default <c>Sign in</c>.</summary>
    public string Title { get; set; } = "Sign in";
}
