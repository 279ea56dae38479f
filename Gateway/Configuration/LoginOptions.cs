namespace Gateway.Configuration;

/// <summary>The <c>Gateway:Login</c> section.</summary>
public sealed class LoginOptions
{
    /// <summary>Realm in the Basic challenge. Default <c>Gateway</c>.</summary>
    public string Realm { get; set; } = "Gateway";

    /// <summary>
    /// What a browser navigation without a session gets: <see cref="Configuration.BrowserChallenge.Form"/> (a redirect to the
    /// login page) or <see cref="Configuration.BrowserChallenge.Basic"/> (the browser's native prompt). A route's
    /// <c>Gateway.Challenge</c> metadata overrides it. Default <c>Form</c>.
    /// </summary>
    public BrowserChallenge BrowserChallenge { get; set; } = BrowserChallenge.Form;

    /// <summary>Title of the login page. Default <c>Sign in</c>.</summary>
    public string Title { get; set; } = "Sign in";

    /// <summary>Failed logins per user (see <see cref="LockoutScope"/>) within <see cref="FailureWindow"/> before a ban. Default 5; 0 turns it off.</summary>
    public int MaxFailures { get; set; } = 5;

    /// <summary>Failed logins from one client address (any user names) within the window before a ban. Default 20; 0 turns it off.</summary>
    public int MaxFailuresPerIp { get; set; } = 20;

    /// <summary>Counting window, from the first failure. Default 5 minutes.</summary>
    public TimeSpan FailureWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long logins are refused (429) once the limit is reached, correct password included. Default 5 minutes.</summary>
    public TimeSpan BanTime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long a login may wait for a password hashing thread: one that no thread has started by then is refused
    /// with 503 and <c>Retry-After</c> (login capacity exceeded) instead of waiting behind proxied traffic. Default 1 second.
    /// </summary>
    public TimeSpan QueueTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>What a user's failures count against. Default <see cref="LockoutScope.UserAndIp"/>.</summary>
    public LockoutScope LockoutScope { get; set; } = LockoutScope.UserAndIp;

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
