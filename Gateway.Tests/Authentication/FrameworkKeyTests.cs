using System.Reflection;
using Gateway.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Gateway.Tests.Authentication;

/// <summary>
/// The Session middlewares stand in for UseAuthentication/UseAuthorization by writing keys that are private details
/// of ASP.NET Core: the pipeline-property keys that stop the host adding the framework's own middlewares, and the
/// HttpContext item that endpoint routing looks for before running an endpoint with authorization metadata. If an
/// ASP.NET Core update renames one, every protected request would answer 500 (or be authorized twice); this fails
/// first, naming the key and the assembly that no longer holds it.
/// </summary>
public sealed class FrameworkKeyTests
{
    [Theory]
    [InlineData(typeof(SessionAuthorizationMiddleware), "InvokedKey", "routing (EndpointMiddleware)")]
    [InlineData(typeof(SessionAuthorizationMiddleware), "SetKey", "hosting (WebApplicationBuilder)")]
    [InlineData(typeof(SessionAuthenticationMiddleware), "SetKey", "hosting (WebApplicationBuilder)")]
    public void FrameworkKey_OurConstant_IsStillAStringTheFrameworkDeclares(Type middleware, string field, string where)
    {
        var key = (string?)middleware.GetField(field, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)?.GetRawConstantValue();
        Assert.False(string.IsNullOrEmpty(key), $"{middleware.Name}.{field} is gone: update this test with the middleware.");
        var assembly = where.StartsWith("routing", StringComparison.Ordinal) ? typeof(EndpointDataSource).Assembly : typeof(WebApplicationBuilder).Assembly;

        var declared = StringConstants(assembly).ToHashSet(StringComparer.Ordinal);

        Assert.True(declared.Contains(key!),
            $"ASP.NET Core's {where} in {assembly.GetName().Name} {assembly.GetName().Version} no longer declares \"{key}\", which " +
            $"{middleware.Name}.{field} writes. Find the framework's new key (or go back to UseAuthentication()/UseAuthorization()), " +
            "or every request to a protected route will fail.");
    }

    [Fact]
    public void StringConstants_ThisAssembly_FindsAKnownConstant() =>
        Assert.Contains(SessionDefaults.TokenHeader, StringConstants(typeof(SessionDefaults).Assembly));

    private static IEnumerable<string> StringConstants(Assembly assembly)
    {
        Type?[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            types = e.Types;
        }
        return types.OfType<Type>()
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!);
    }
}
