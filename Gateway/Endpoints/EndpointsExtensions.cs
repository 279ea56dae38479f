using Gateway.Configuration;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Gateway.Endpoints;

/// <summary>Registration of the gateway's own endpoints (login, logout, sessions, admin) and their place in the pipeline.</summary>
internal static class EndpointsExtensions
{
    /// <summary>The login page's template and its check at start, and the admin policy (<c>Gateway:Admin:Role</c>).</summary>
    public static WebApplicationBuilder AddGatewayEndpoints(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AuthorizationOptions>().Configure<IOptions<GatewayOptions>>((authorization, gateway) =>
            authorization.AddPolicy(AdminEndpoints.Policy, policy =>
                policy.RequireAuthenticatedUser().RequireRole(gateway.Value.Admin.Role)));
        return builder;
    }
}
