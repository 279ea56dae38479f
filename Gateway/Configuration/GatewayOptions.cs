namespace Gateway.Configuration;

/// <summary>The <c>Gateway</c> configuration section: the public contract listed in the README.</summary>
public sealed class GatewayOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Gateway";

    /// <summary>YARP routes and clusters file, relative to the configuration directory. Default <c>routes.json</c>.</summary>
    public string RoutesFile { get; set; } = "routes.json";

    /// <summary>Users: htpasswd file and roles.</summary>
    public UsersOptions Users { get; set; } = new();

    /// <summary>Named authorization policies referenced by routes' <c>AuthorizationPolicy</c>.</summary>
    public Dictionary<string, PolicyOptions> Policies { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Session cookie and lifetimes.</summary>
    public SessionOptions Session { get; set; } = new();

    /// <summary>Identity headers injected into proxied requests.</summary>
    public HeaderOptions Headers { get; set; } = new();

    /// <summary>Signed identity assertions for backends.</summary>
    public AssertionOptions Assertion { get; set; } = new();

    /// <summary>The gateway's own endpoints.</summary>
    public EndpointOptions Endpoints { get; set; } = new();

    /// <summary>Session store behaviour (timeouts, key prefix).</summary>
    public StoreOptions Store { get; set; } = new();

    /// <summary>Login behaviour (realm, password rules).</summary>
    public LoginOptions Login { get; set; } = new();

    /// <summary>Remember-me tokens.</summary>
    public RememberMeOptions RememberMe { get; set; } = new();

    /// <summary>Who may use the admin API.</summary>
    public AdminOptions Admin { get; set; } = new();

    /// <summary>The audit trail kept for admins.</summary>
    public AuditOptions Audit { get; set; } = new();

    /// <summary>The built-in demo upstream for first runs.</summary>
    public DemoOptions Demo { get; set; } = new();

    /// <summary>Peers (IP addresses or CIDR ranges) whose <c>X-Forwarded-*</c> headers are believed. Default none.</summary>
    public string[] TrustedProxies { get; set; } = [];

    /// <summary>Cross-site request forgery defence.</summary>
    public CsrfOptions Csrf { get; set; } = new();

    /// <summary>Request size limits.</summary>
    public LimitsOptions Limits { get; set; } = new();

    /// <summary>Session-id guessing detection.</summary>
    public GuessingOptions Guessing { get; set; } = new();

    /// <summary>Forward auth for a proxy in front (<c>&lt;prefix&gt;/verify</c>).</summary>
    public ForwardAuthOptions ForwardAuth { get; set; } = new();

    /// <summary>WebSockets and streams held open under a session.</summary>
    public ConnectionOptions Connections { get; set; } = new();

    /// <summary>Metrics exposition (Prometheus scrape endpoint, management port).</summary>
    public MetricsOptions Metrics { get; set; } = new();
}
