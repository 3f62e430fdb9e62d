using Platform.TalentPipeline.Features.Placements;

namespace Platform.TalentPipeline.Tests.Placements;

/// <summary>The CSV reading alone (no database): line numbers of rows and of structural errors.</summary>
public sealed class PlacementCsvTests
{
    private const string Header = "eventId,collegeId,programId,traineeRef,type,occurredAt\r\n";
    private static readonly string Row = $"e1,{Guid.Empty},{Guid.Empty},T-1,enrolled,2025-09-01T08:00:00Z\r\n";

    [Fact]
    public void Rows_carry_the_line_they_start_on_across_blank_lines_and_quoted_line_breaks()
    {
        var text = "\uFEFF" + Header + Row + "\r\n   \r\n" + $"e2,{Guid.Empty},{Guid.Empty},\"T-2\r\nevening\",enrolled,2025-09-01T08:00:00Z\r\n" + Row;
        var reading = PlacementCsv.Read(text);
        Assert.Null(reading.Error);
        Assert.Equal([2, 5, 7], reading.Candidates.Select(c => c.Line));
    }

    [Theory]
    [InlineData("e1,a,b,\"T-1,enrolled,x\r\n", "Line 2: a quoted field is never closed.")]
    [InlineData("e1,a,b,T\"1,enrolled,x\r\n", "Line 2: a quote inside an unquoted field")]
    [InlineData("e1,a,b,\"T-1\"x,enrolled,x\r\n", "Line 2: text after a closing quote")]
    [InlineData("e1,a,b,T-1,enrolled\r\n", "Line 2: 5 field(s), the header has 6.")]
    public void A_structural_error_names_its_line_and_reads_nothing(string row, string expected)
    {
        var reading = PlacementCsv.Read(Header + row);
        Assert.StartsWith(expected, reading.Error, StringComparison.Ordinal);
        Assert.Empty(reading.Candidates);
    }
}
