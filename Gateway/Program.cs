using Gateway;
using Gateway.Cli;

if (GatewayCli.IsCommand(args))
{
    return await GatewayCli.RunAsync(args, Console.In, Console.Out, Console.Error);
}

var builder = GatewayApplication.CreateBuilder(args);
builder.AddGateway();
var app = builder.Build();
app.MapGateway();
app.Run();
return 0;
