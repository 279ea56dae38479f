using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace Gateway.Configuration;

/// <summary>
/// Binds the <c>Gateway</c> section without letting one value the binder cannot convert hide every other error: the
/// stock binder throws at the first (<c>IdleTimeout=soon</c>), before any validator runs. Each value is first
/// converted on its own, exactly as the binder would; those that fail are left out of the binding (their defaults
/// stay) and reported, with their keys, by <see cref="GatewayOptionsValidator"/> with all the other errors.
/// An empty value of a duration, number, flag or choice means "not set" and its default applies: compose files and
/// Helm charts render unset variables as empty strings (<c>Gateway__Store__NearCache=</c>). An empty text setting
/// stays a value (<c>Gateway__Demo__Upstream=</c> turns the demo off); a required one keeps its clear error.
/// </summary>
internal static class GatewayOptionsBinder
{
    private static readonly ConditionalWeakTable<GatewayOptions, IReadOnlyList<string>> Errors = new();

    public static void Bind(IConfigurationSection section, GatewayOptions options)
    {
        var errors = new List<string>();
        var refused = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        Check(section, typeof(GatewayOptions), errors, refused);
        var source = refused.Count == 0 ? section : Without(section, refused);
        try
        {
            source.Bind(options);
        }
        catch (InvalidOperationException e)
        {
            errors.Add(e.Message); // a conversion the check above did not foresee: still reported, never thrown
        }
        Errors.AddOrUpdate(options, errors);
    }

    /// <summary>The conversion errors of the binding that filled <paramref name="options"/>.</summary>
    public static IReadOnlyList<string> ErrorsOf(GatewayOptions options) => Errors.TryGetValue(options, out var errors) ? errors : [];

    private static void Check(IConfigurationSection section, Type type, List<string> errors, HashSet<string> refused)
    {
        var element = type == typeof(string) ? null : Element(type, typeof(IDictionary<,>), 1) ?? Element(type, typeof(IEnumerable<>), 0);
        if (element is not null)
        {
            foreach (var child in section.GetChildren())
            {
                Check(child, element, errors, refused);
            }
        }
        else if (IsScalar(type))
        {
            var value = section.Value;
            if (string.IsNullOrWhiteSpace(value) && value is not null && type != typeof(string))
            {
                refused.Add(section.Path); // not set: left out of the binding, so the default stays
            }
            else if (value is not null)
            {
                try
                {
                    section.Get(type); // the binder's own conversion, so nothing is refused that it would accept
                }
                catch (InvalidOperationException)
                {
                    errors.Add($"{section.Path} '{SecretKeys.Display(section.Path, value)}' is not {Expected(type)}.");
                    refused.Add(section.Path);
                }
            }
        }
        else if (type.IsClass)
        {
            foreach (var property in type.GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance))
            {
                if (property.GetIndexParameters().Length == 0)
                {
                    Check(section.GetSection(property.Name), property.PropertyType, errors, refused);
                }
            }
        }
    }

    private static Type? Element(Type type, Type generic, int argument)
    {
        var match = type.IsGenericType && type.GetGenericTypeDefinition() == generic
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == generic);
        return match?.GetGenericArguments()[argument];
    }

    private static bool IsScalar(Type type) =>
        type == typeof(string) || TypeDescriptor.GetConverter(Nullable.GetUnderlyingType(type) ?? type).CanConvertFrom(typeof(string));

    private static string Expected(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type switch
        {
            _ when type == typeof(TimeSpan) => "a duration such as 00:30:00",
            _ when type == typeof(int) || type == typeof(long) => "a whole number",
            _ when type == typeof(bool) => "true or false",
            _ when type.IsEnum => "one of " + string.Join(", ", Enum.GetNames(type)),
            _ => "a valid " + type.Name,
        };
    }

    // A copy of the section without the refused (or empty) values: the binder then keeps those properties' defaults.
    private static IConfigurationSection Without(IConfigurationSection section, HashSet<string> refused) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(section.AsEnumerable().Where(pair => pair.Value is not null && !refused.Contains(pair.Key)))
            .Build()
            .GetSection(section.Path);
}
