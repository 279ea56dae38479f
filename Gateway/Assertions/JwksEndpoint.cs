using System.Text.Json;
using System.Text.Json.Serialization;
using Gateway.Authentication;
using Gateway.Configuration;
using Gateway.Http;

namespace Gateway.Assertions;

/// <summary>
/// <c>GET /.well-known/jwks.json</c>: the public keys a backend needs to verify assertions (current, next, retired),
/// anonymous and cacheable for <see cref="AssertionOptions.JwksMaxAge"/>. 404 while assertions are off. A store that
/// cannot be read (generated keys, first read) is a 503 from the error middleware, like any other store failure.
/// </summary>
internal static class JwksEndpoint
{
    public const string Path = "/.well-known/jwks.json";

    public static void Map(IEndpointRouteBuilder routes) =>
        routes.MapGet(Path, async (HttpContext context, AssertionIssuer issuer, IServiceProvider services) =>
        {
            if (!issuer.Enabled)
            {
                await GatewayResponses.ProblemAsync(context, StatusCodes.Status404NotFound, "not_found", "assertions are not enabled");
                return;
            }
            var ring = await services.GetRequiredService<IAssertionKeys>().GetAsync(context.RequestAborted);
            var response = context.Response;
            response.Headers.CacheControl = "public, max-age=" + (int)AssertionOptions.JwksMaxAge.TotalSeconds;
            response.Headers.XContentTypeOptions = "nosniff";
            response.ContentType = "application/json; charset=utf-8";
            var document = new JwksDocument(ring.Published.Select(k => k.Public).ToArray());
            await response.WriteAsync(JsonSerializer.Serialize(document, AssertionJsonContext.Default.JwksDocument), context.RequestAborted);
        }).AllowAnonymous().WithMetadata(SessionEndpointMetadata.ResolveOnly);
}

/// <summary>A JSON Web Key Set (RFC 7517 section 5).</summary>
internal sealed record JwksDocument(JwksKey[] Keys);

/// <summary>One public EC key (RFC 7518 section 6.2.1): no private member exists to be written.</summary>
internal sealed record JwksKey(string Kty, string Crv, string X, string Y, string Kid, string Use, string Alg);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(JwksDocument))]
internal sealed partial class AssertionJsonContext : JsonSerializerContext;
