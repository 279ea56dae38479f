using System.Text.Json.Serialization;

namespace Gateway.Http;

/// <summary>Source-generated JSON for <see cref="ProblemBody"/>, with the same settings as every other body the gateway writes.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ProblemBody))]
internal sealed partial class HttpJsonContext : JsonSerializerContext;
