// Every output is a constant: the value each parameter reached synthesis with, and whether
// that value is negative (tests/flows/test_negative_params.py reads them from the netlist).
module negparam #(
    parameter integer P = 0,
    parameter signed [7:0] S = 0,
    parameter signed [39:0] W = 0,
    parameter U = 0,
    parameter integer N = 0
) (
    output [31:0] p, output p_neg,
    output [7:0]  s, output s_neg,
    output [39:0] w, output w_neg,
    output [31:0] u, output u_neg,
    output [31:0] n
);
    assign p = P;  assign p_neg = P < 0;
    assign s = S;  assign s_neg = S < 0;
    assign w = W;  assign w_neg = W < 0;
    assign u = U;  assign u_neg = U < 0;
    assign n = N;
endmodule
