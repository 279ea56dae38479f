using System.Reflection;
using Gateway.Configuration;
using Gateway.Security;
using Gateway.Tests.Fixtures;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Gateway.Tests.Configuration;

/// <summary>
/// An empty value (compose and Helm render unset variables so) of any optional duration, number, flag or choice means
/// "not set": its default applies and the configuration is valid. The keys come from the options classes by
/// reflection, so a setting added later is covered without touching this test.
/// </summary>
public sealed class EmptyValueTests
{
    public static TheoryData<string> OptionalScalarKeys()
    {
        var data = new TheoryData<string>();
        foreach (var (key, _) in Scalars(typeof(GatewayOptions), GatewayOptions.Section))
        {
            data.Add(key);
        }
        return data;
    }

    [Fact]
    public void OptionalScalarKeys_CoverDurationsAndNumbers()
    {
        // A walk that found nothing would make the theory pass vacuously.
        var keys = Scalars(typeof(GatewayOptions), GatewayOptions.Section).ToDictionary(k => k.Key, k => k.Type);
        Assert.Contains("Gateway:Store:NearCache", keys.Keys);
        Assert.Contains("Gateway:Session:IdleTimeout", keys.Keys);
        Assert.Contains("Gateway:Login:MaxFailures", keys.Keys);
        Assert.Contains("Gateway:Metrics:Port", keys.Keys);
        Assert.True(keys.Count(k => k.Value == typeof(TimeSpan) || k.Value == typeof(TimeSpan?)) >= 10);
    }

    [Theory]
    [MemberData(nameof(OptionalScalarKeys))]
    public void Bind_EmptyValue_DefaultAppliesAndValid(string key)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = "" }).Build();
        var options = new GatewayOptions();

        GatewayOptionsBinder.Bind(configuration.GetSection(GatewayOptions.Section), options);

        Assert.Empty(GatewayOptionsBinder.ErrorsOf(options));
        Assert.Equal(Read(new GatewayOptions(), key), Read(options, key));
        var environment = new TestHostEnvironment(Path.GetTempPath());
        IValidateOptions<GatewayOptions>[] validators = [new GatewayOptionsValidator(environment), new SecurityOptionsValidator(), new MetricsOptionsValidator()];
        Assert.All(validators, v => Assert.True(v.Validate(null, options).Succeeded, v.Validate(null, options).FailureMessage));
    }

    [Theory]
    [InlineData("Gateway:Session:CookieName", "Gateway:Session:CookieName '' is not a valid cookie name.")]
    [InlineData("Gateway:Headers:User", "Gateway:Headers:User '' is not a valid header name.")]
    [InlineData("Gateway:Admin:Role", "Gateway:Admin:Role must not be empty.")]
    public void Bind_EmptyRequiredText_KeepsItsError(string key, string error)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = "" }).Build();
        var options = new GatewayOptions();

        GatewayOptionsBinder.Bind(configuration.GetSection(GatewayOptions.Section), options);

        var result = new GatewayOptionsValidator(new TestHostEnvironment(Path.GetTempPath())).Validate(null, options);
        Assert.Contains(error, result.Failures ?? []);
    }

    // Every property of a fixed path whose type converts from a string, other than text (empty text is a value).
    private static IEnumerable<(string Key, Type Type)> Scalars(Type type, string prefix)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && p.GetIndexParameters().Length == 0))
        {
            var key = $"{prefix}:{property.Name}";
            var t = property.PropertyType;
            var underlying = Nullable.GetUnderlyingType(t) ?? t;
            if (underlying.IsPrimitive || underlying.IsEnum || underlying == typeof(TimeSpan) || underlying == typeof(decimal))
            {
                yield return (key, t);
            }
            else if (t.IsClass && t != typeof(string) && !typeof(System.Collections.IEnumerable).IsAssignableFrom(t))
            {
                foreach (var nested in Scalars(t, key))
                {
                    yield return nested;
                }
            }
        }
    }

    private static object? Read(object options, string key)
    {
        object? value = options;
        foreach (var name in key.Split(':').Skip(1))
        {
            value = value!.GetType().GetProperty(name)!.GetValue(value);
        }
        return value;
    }
}
