# Strip markers (~) in heredocs and quoted strings, every combination.
# hcl v2 makes each heredoc line a literal token of its own, and a marker
# trims only the token beside it; a quoted string is one token.
# The .json beside this file is hashicorp/hcl v2's result.
for_both = <<EOT
%{ for u in ["a", "b"] ~}
  s ${u};
%{ endfor ~}
EOT
for_open_left = <<EOT
x
  %{~ for u in ["a", "b"] }
  s ${u};
  %{~ endfor }
y
EOT
for_all = <<EOT
x
  %{~ for u in ["a", "b"] ~}
  s ${u};
  %{~ endfor ~}
  y
EOT
if_else = <<EOT
%{ if true ~}
  yes
%{~ else ~}
  no
%{~ endif }
EOT
if_else_false = <<EOT
  %{~ if false ~}
  yes
  %{ else ~}
    no
  %{ endif ~}
  end
EOT
if_only_right = <<EOT
a
%{ if true ~}

  b
%{ endif ~}

c
EOT
interp_left_indented = <<EOT
a  
  ${~ "b"}
EOT
interp_left_line_start = <<EOT
a  
${~ "b"}
EOT
interp_both = <<EOT
a   ${~ "b" ~}   c
  ${"d" ~}
    e
EOT
interp_right_blank_lines = <<EOT
${"a" ~}


  b
EOT
quoted_for = "%{ for u in ["a", "b"] ~}\n  s ${u};\n%{ endfor ~}\n"
quoted_interp = "a  \n  ${~ "b" ~}  \n  c"
quoted_if = "x \n %{~ if true ~} \n y \n %{~ endif ~} \n z"
escaped = <<EOT
  $${not} %%{ if } ${~ "t" ~}
  z
EOT
