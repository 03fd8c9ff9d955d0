//! The shape every filter of the chain shares (tantivy's): a filter, its wrapping tokenizer and
//! its stream. `define_filter!` writes the last two for a filter whose work is one function on
//! the token, `apply(&mut self, &mut Token) -> bool` (false drops the token).

/// Writes the wrapping tokenizer and the stream of `$filter`, and its `TokenFilter` impl.
macro_rules! define_filter {
    ($(#[$doc:meta])* $filter:ident, $wrapper:ident, $stream:ident) => {
        $(#[$doc])*
        #[derive(Clone)]
        pub(crate) struct $wrapper<T> {
            inner: T,
            filter: $filter,
        }

        /// Token stream of the filter of the same name.
        pub(crate) struct $stream<'a, S> {
            tail: S,
            filter: &'a mut $filter,
        }

        impl ::tantivy::tokenizer::TokenFilter for $filter {
            type Tokenizer<T: ::tantivy::tokenizer::Tokenizer> = $wrapper<T>;

            fn transform<T: ::tantivy::tokenizer::Tokenizer>(self, inner: T) -> $wrapper<T> {
                $wrapper { inner, filter: self }
            }
        }

        impl<T: ::tantivy::tokenizer::Tokenizer> ::tantivy::tokenizer::Tokenizer for $wrapper<T> {
            type TokenStream<'a> = $stream<'a, T::TokenStream<'a>>;

            fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
                $stream { tail: self.inner.token_stream(text), filter: &mut self.filter }
            }
        }

        impl<S: ::tantivy::tokenizer::TokenStream> ::tantivy::tokenizer::TokenStream
            for $stream<'_, S>
        {
            fn advance(&mut self) -> bool {
                while self.tail.advance() {
                    if self.filter.apply(self.tail.token_mut()) {
                        return true;
                    }
                }
                false
            }

            fn token(&self) -> &::tantivy::tokenizer::Token {
                self.tail.token()
            }

            fn token_mut(&mut self) -> &mut ::tantivy::tokenizer::Token {
                self.tail.token_mut()
            }
        }
    };
}

pub(super) use define_filter;
