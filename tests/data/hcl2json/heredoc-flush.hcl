# Indented heredocs (<<-): the smallest indentation of the lines is taken
# off each line, on the tokens left after strip markers, as hcl v2 does,
# quirks included. The .json beside this file is hashicorp/hcl v2's result.
plain = <<-EOT
    a
      b
    c
    EOT
blank_lines_keep_their_spaces = <<-EOT
    x
      
        y

    EOT
after_strip_keeps_indent = <<-EOT
    %{ for x in ["a", "b"] ~}
      s ${x};
    %{ endfor ~}
    EOT
strip_left_at_line_start = <<-EOT
    x
    %{~ if true }
      y
    %{ endif }
    EOT
directive_less_indented = <<-EOT
      x
  %{ if true ~}
      y
  %{ endif }
    EOT
interp_strip_right = <<-EOT
    x ${"u" ~}
      y
    z
    EOT
interp_at_column_0 = <<-EOT
    x
${"u"}
    y
    EOT
interp_strip_left = <<-EOT
    x
    ${~"u"}
      y
    EOT
tabs_and_spaces = <<-EOT
	a
	  b
	EOT
text_after_strip = <<-EOT
    %{ if true ~}   t
      u
    %{ endif }
    EOT
