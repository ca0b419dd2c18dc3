//! The Hugo shortcode lexer: `{{< name k="v" >}}`, `{{% name %}}`,
//! positional arguments, paired forms with inner content, `/>` closers.

use crate::diag::Diagnostic;
