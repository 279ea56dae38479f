using Gateway.Configuration;
using Microsoft.Extensions.Options;

namespace Gateway.Stores;

/// <summary>Reports a store that could not be chosen (see <see cref="StoreSelection"/>) with the other configuration errors.</summary>
internal sealed class StoreSelectionValidator(StoreSelection selection) : IValidateOptions<GatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayOptions options) =>
        selection.Error is { } error ? ValidateOptionsResult.Fail(error) : ValidateOptionsResult.Success;
}
