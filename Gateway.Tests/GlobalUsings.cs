global using Xunit;
global using Microsoft.Extensions.Configuration;
global using Gateway;
