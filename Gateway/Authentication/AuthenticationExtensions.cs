using Gateway.Configuration;
using Gateway.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;

namespace Gateway.Authentication;

/// <summary>Registration of the Session scheme and the gateway's policies, and their place in the pipeline.</summary>
internal static class AuthenticationExtensions
{
    /// <summary>The Session scheme (the default), its per-carrier resolvers, and the policies of <c>Gateway:Policies</c>.</summary>
    public static WebApplicationBuilder AddGatewayAuthentication(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<PasswordSignIn>();
        services.AddSingleton<BasicSessionResolver>();
        services.AddSingleton<SessionIdLookup>();
        services.AddSingleton<SessionCookieResolver>();
        services.AddSingleton<SessionTokenResolver>();
        services.AddSingleton<BasicHeaderResolver>();
        services.AddSingleton<RememberMeCookieResolver>();
        services.AddSingleton<SessionAuthenticator>();
        services.AddSingleton<IAmbientCredentials, SessionAmbientCredentials>();
        services.AddAuthentication(SessionDefaults.Scheme)
            .AddScheme<AuthenticationSchemeOptions, SessionAuthenticationHandler>(SessionDefaults.Scheme, _ => { });
        var configuration = builder.Configuration;
        services.AddAuthorization(options => AddPolicies(options, configuration));
        return builder;
    }

    // In place of UseAuthentication and UseAuthorization (same outcome, less work per request). The keys they set
    // tell the host that authentication and authorization are in the pipeline, so it does not add its own.
    public static WebApplication UseGatewayAuthentication(this WebApplication app)
    {
        ((IApplicationBuilder)app).Properties[SessionAuthenticationMiddleware.SetKey] = true;
        app.UseMiddleware<SessionAuthenticationMiddleware>();
        return app;
    }

    public static WebApplication UseGatewayAuthorization(this WebApplication app)
    {
        ((IApplicationBuilder)app).Properties[SessionAuthorizationMiddleware.SetKey] = true;
        app.UseMiddleware<SessionAuthorizationMiddleware>();
        return app;
    }

    // No policy names a scheme: UseAuthentication has already run the Session scheme (the default) and set the user,
    // and a policy naming it would make the authorization middleware authenticate a second time and rebuild the user.
    private static void AddPolicies(AuthorizationOptions options, IConfiguration configuration)
    {
        var session = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
        options.DefaultPolicy = session;
        options.FallbackPolicy = session;
        var policies = configuration.GetSection(GatewayOptions.Section + ":Policies").Get<Dictionary<string, PolicyOptions>>() ?? [];
        foreach (var (name, policy) in policies)
        {
            options.AddPolicy(name, builder =>
            {
                builder.RequireAuthenticatedUser();
                if (policy.Roles.Length > 0)
                {
                    builder.RequireRole(policy.Roles);
                }
            });
        }
    }
}
