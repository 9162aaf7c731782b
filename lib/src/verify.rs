//! Path building and verification that explains itself. (Being built: see issue 3.)
