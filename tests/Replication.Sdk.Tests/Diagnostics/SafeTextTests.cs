using Replication.Sdk.Diagnostics;

namespace Replication.Sdk.Tests.Diagnostics;

/// <summary>What <see cref="SafeText"/> escapes: what could forge a line or reorder how it reads, nothing else.</summary>
public sealed class SafeTextTests
{
    [Theory]
    [InlineData("evil\u202Eadmin", "evil\\u202eadmin")]
    [InlineData("a\u2066b\u2069c", "a\\u2066b\\u2069c")]
    [InlineData("rtl\u200Fmark", "rtl\\u200fmark")]
    [InlineData("line\nbreak\u2028", "line\\nbreak\\u2028")]
    [InlineData("caf\u00e9 \u4e2d\u6587 \U0001F600", "caf\u00e9 \u4e2d\u6587 \U0001F600")]
    public void Escapes_ControlsSeparatorsAndBidiMarks_ButNotOtherText(string text, string expected) =>
        SafeText.Escape(text).Should().Be(expected);
}
