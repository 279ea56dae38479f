using Gateway.Authentication;
using Gateway.Configuration;
using Gateway.Http;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Gateway.Endpoints;

/// <summary>Registration of the gateway's own endpoints (login, logout, sessions, admin, probes) and their routes.</summary>
internal static class EndpointsExtensions
{
    /// <summary>The login page's template and its check at start, and the admin policy (<c>Gateway:Admin:Role</c>).</summary>
    public static WebApplicationBuilder AddGatewayEndpoints(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<LoginTemplate>();
        services.AddSingleton<IValidateOptions<GatewayOptions>, LoginPageValidator>();
        services.AddOptions<AuthorizationOptions>().Configure<IOptions<GatewayOptions>>((authorization, gateway) =>
            authorization.AddPolicy(AdminEndpoints.Policy, policy =>
                policy.RequireAuthenticatedUser().RequireRole(gateway.Value.Admin.Role)));
        return builder;
    }

    /// <summary>Probes, then every endpoint under <paramref name="prefix"/>; anything else under it answers 404.</summary>
    public static WebApplication MapGatewayEndpoints(this WebApplication app, string prefix)
    {
        _ = app.Services.GetRequiredService<LoginTemplate>(); // the login template is read once, at start
        HealthEndpoints.Map(app);
        LoginEndpoints.Map(app, prefix);
        LogoutEndpoints.Map(app, prefix);
        SessionEndpoints.Map(app, prefix);
        SessionListEndpoints.Map(app, prefix);
        AdminEndpoints.Map(app, prefix);
        BanEndpoints.Map(app, prefix);

        // Anything else under the prefix (an unknown path, or PUT to /auth/login) is the gateway's, never a backend's.
        app.Map(prefix + "/{**rest}", (HttpContext context) =>
            GatewayResponses.ProblemAsync(context, StatusCodes.Status404NotFound, "not_found", "no such gateway endpoint or method"))
            .AllowAnonymous().WithMetadata(SessionEndpointMetadata.ResolveOnly);
        return app;
    }
}
