// Example: an ASP.NET Core backend that trusts the gateway's signed assertion (X-Auth-Assertion) instead of the
// unsigned X-Auth-* headers. Copy this file into the backend; needs Microsoft.AspNetCore.Authentication.JwtBearer.
// Tested as is by Gateway.Tests (AssertionBackendExampleTests), which compiles this very file.
//
//   builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
//       .AddGatewayAssertion("https://gateway.example.com/.well-known/jwks.json",
//           issuer: "https://gateway.example.com", audience: "orders");
//   builder.Services.AddAuthorization();
//   ...
//   app.UseAuthentication(); app.UseAuthorization();
//   app.MapGet("/whoami", (ClaimsPrincipal user) => user.FindFirst("sub")!.Value).RequireAuthorization();
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace GatewayAssertionExample;

public static class GatewayAssertionAuthentication
{
    /// <summary>The header the gateway sends the assertion in (Gateway:Headers:Assertion).</summary>
    public const string Header = "X-Auth-Assertion";

    /// <summary>
    /// JwtBearer reading the assertion header, with the gateway's key set as the signing keys (fetched from
    /// <paramref name="jwksUrl"/>, cached and refreshed every 5 minutes by JwtBearer's configuration manager, which is
    /// also asked to refresh when a token names an unknown kid), and iss, aud, exp/nbf and the ES256 signature checked.
    /// </summary>
    public static AuthenticationBuilder AddGatewayAssertion(this AuthenticationBuilder builder, string jwksUrl, string issuer, string audience) =>
        builder.AddJwtBearer(JwtBearerDefaults.AuthenticationScheme, options =>
        {
            options.MapInboundClaims = false; // keep "sub", "roles", "sid" as the gateway names them
            options.ConfigurationManager = new ConfigurationManager<OpenIdConnectConfiguration>(
                jwksUrl, new JwksRetriever(), new HttpDocumentRetriever { RequireHttps = jwksUrl.StartsWith("https:", StringComparison.Ordinal) })
            {
                AutomaticRefreshInterval = TimeSpan.FromMinutes(5), // the JWKS's own max-age
            };
            options.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = issuer,
                ValidAudience = audience,
                ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
                RequireSignedTokens = true,
                RequireExpirationTime = true,
                ClockSkew = TimeSpan.FromMinutes(1),
                NameClaimType = "sub",
                RoleClaimType = "roles",
            };
            options.Events = new JwtBearerEvents
            {
                // Only the gateway's header: a client's own Authorization: Bearer is never taken for the gateway's word.
                OnMessageReceived = context =>
                {
                    context.Token = context.Request.Headers[Header].Count == 1 ? context.Request.Headers[Header].ToString() : null;
                    if (context.Token is null)
                    {
                        context.NoResult();
                    }
                    return Task.CompletedTask;
                },
            };
        });

    /// <summary>A key set is not an OpenID Connect discovery document: read it into one that holds only the keys.</summary>
    private sealed class JwksRetriever : IConfigurationRetriever<OpenIdConnectConfiguration>
    {
        public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(string address, IDocumentRetriever retriever, CancellationToken cancel)
        {
            var configuration = new OpenIdConnectConfiguration();
            foreach (var key in new JsonWebKeySet(await retriever.GetDocumentAsync(address, cancel)).GetSigningKeys())
            {
                configuration.SigningKeys.Add(key);
            }
            return configuration;
        }
    }
}
