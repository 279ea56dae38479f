namespace Gateway.Configuration;

/// <summary>The <c>Gateway:Login</c> section.</summary>
public sealed class LoginOptions
{
    /// <summary>Realm in the Basic challenge. Default <c>Gateway</c>.</summary>
    public string Realm { get; set; } = "Gateway";

    /// <summary>Title of the login page. Default <c>Sign in</c>.</summary>
    public string Title { get; set; } = "Sign in";

    /// <summary>
    /// Logo above the login form: a path on this site (<c>/static/logo.svg</c>) or an http(s) URL, whose origin
    /// the page's Content-Security-Policy then allows for images. Default empty (no logo).
    /// </summary>
    public string LogoUrl { get; set; } = "";

    /// <summary>
    /// An HTML file, relative to the configuration directory, that replaces the login page's markup around the
    /// form (placeholders <c>{{title}}</c>, <c>{{logo}}</c>, <c>{{error}}</c>, <c>{{form}}</c>, <c>{{stylesheet}}</c>,
    /// <c>{{prefix}}</c>). Validated and read once at start. Default empty (the built-in page).
    /// </summary>
    public string TemplateFile { get; set; } = "";
}
