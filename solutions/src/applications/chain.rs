//! §6.1 Chains (链): prompt → model → parser, and chains built from chains.
//!
//! An application is a pipeline of small steps: fill a template, ask the model, parse the
//! reply, turn the result into the values of the next template, ask again. Each step here
//! is a [`Step`] with an input and an output type, and [`Step::then`] joins two steps into
//! one whose input is the first's and output the second's. A chain is therefore a step, and
//! chains compose into longer chains, checked by the compiler: a parser's output cannot be
//! fed to a step that wants a prompt. The model is not part of a chain: it is handed to
//! [`Step::run`], so that the same chain runs on the tiny GPT or on a [`ScriptedModel`]
//! in tests, and chains of chains share it.
//!
//! LangChain: the Expression Language's `prompt | model | parser` over `Runnable`s (with
//! `invoke`), `RunnableLambda` for glue ([`Map`] here), and `RetryWithErrorOutputParser`
//! ([`Retry`]), which shows the model its parse error and asks again.
//!
//! [`ScriptedModel`]: super::language_model::ScriptedModel

use super::language_model::LanguageModel;
use super::output_parser::{OutputParser, ParseError};
use super::prompt_template::{PromptTemplate, TemplateError};
use std::fmt;
use std::marker::PhantomData;

/// The values of a template's variables, as a step passes them on.
pub type Vars = Vec<(String, String)>;

/// `vars([("city", "Paris")])`: [`Vars`] from string pairs.
pub fn vars<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Vars {
    pairs.into_iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

/// Why a chain stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainError {
    Template(TemplateError),
    Parse(ParseError),
    /// [`Retry`] asked `attempts` times; the last reply still did not parse.
    GaveUp {
        attempts: usize,
        last: ParseError,
    },
}

impl fmt::Display for ChainError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Self::Template(e) => write!(f, "the prompt template: {e}"),
            Self::Parse(e) => write!(f, "the model's reply: {e}"),
            Self::GaveUp { attempts, last } => {
                write!(f, "no usable reply in {attempts} attempts; the last: {last}")
            }
        }
    }
}

impl std::error::Error for ChainError {}

impl From<TemplateError> for ChainError {
    fn from(e: TemplateError) -> Self {
        Self::Template(e)
    }
}

impl From<ParseError> for ChainError {
    fn from(e: ParseError) -> Self {
        Self::Parse(e)
    }
}

// ANCHOR: step
/// One step of a chain.
pub trait Step {
    type Input;
    type Output;
    fn run(
        &self,
        lm: &mut dyn LanguageModel,
        input: Self::Input,
    ) -> Result<Self::Output, ChainError>;

    /// This step, then `next` on its output: LangChain's `self | next`.
    fn then<S: Step<Input = Self::Output>>(self, next: S) -> Then<Self, S>
    where
        Self: Sized,
    {
        Then { first: self, second: next }
    }
}

/// Two steps in a row; itself a step, so chains nest.
pub struct Then<A, B> {
    first: A,
    second: B,
}

impl<A: Step, B: Step<Input = A::Output>> Step for Then<A, B> {
    type Input = A::Input;
    type Output = B::Output;
    fn run(&self, lm: &mut dyn LanguageModel, input: A::Input) -> Result<B::Output, ChainError> {
        // `?`: the first error ends the chain; later steps, and their model calls, never run.
        let middle = self.first.run(lm, input)?;
        self.second.run(lm, middle)
    }
}
// ANCHOR_END: step

/// A template fills in the prompt.
impl Step for PromptTemplate {
    type Input = Vars;
    type Output = String;
    fn run(&self, _lm: &mut dyn LanguageModel, input: Vars) -> Result<String, ChainError> {
        let pairs: Vec<(&str, &str)> =
            input.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        Ok(self.format(&pairs)?)
    }
}

/// The model continues the prompt, up to the first stop string.
#[derive(Debug, Clone, Default)]
pub struct Complete {
    pub stop: Vec<String>,
}

impl Complete {
    pub fn until(stop: &[&str]) -> Self {
        Self { stop: stop.iter().map(|s| s.to_string()).collect() }
    }
}

impl Step for Complete {
    type Input = String;
    type Output = String;
    fn run(&self, lm: &mut dyn LanguageModel, prompt: String) -> Result<String, ChainError> {
        let stop: Vec<&str> = self.stop.iter().map(String::as_str).collect();
        Ok(lm.complete(&prompt, &stop))
    }
}

/// A parser turns the reply into data.
pub struct Parse<P>(pub P);

impl<P: OutputParser> Step for Parse<P> {
    type Input = String;
    type Output = P::Output;
    fn run(&self, _lm: &mut dyn LanguageModel, reply: String) -> Result<P::Output, ChainError> {
        Ok(self.0.parse(&reply)?)
    }
}

/// Glue: any function of the previous output, e.g. to make the next template's values.
pub struct Map<F, I> {
    f: F,
    input: PhantomData<fn(I)>,
}

/// `map(|items: Vec<String>| vars([("list", &items.join(", "))]))`.
pub fn map<I, O, F: Fn(I) -> O>(f: F) -> Map<F, I> {
    Map { f, input: PhantomData }
}

impl<I, O, F: Fn(I) -> O> Step for Map<F, I> {
    type Input = I;
    type Output = O;
    fn run(&self, _lm: &mut dyn LanguageModel, input: I) -> Result<O, ChainError> {
        Ok((self.f)(input))
    }
}

/// Asks the model and parses the reply; when the reply does not parse, asks again with the
/// parse error shown, up to `attempts` replies in all (at least one).
pub struct Retry<P> {
    pub parser: P,
    pub stop: Vec<String>,
    pub attempts: usize,
}

// ANCHOR: retry
impl<P: OutputParser> Step for Retry<P> {
    type Input = String;
    type Output = P::Output;
    fn run(&self, lm: &mut dyn LanguageModel, prompt: String) -> Result<P::Output, ChainError> {
        let stop: Vec<&str> = self.stop.iter().map(String::as_str).collect();
        let (mut asked, mut attempt) = (prompt.clone(), 1);
        loop {
            let reply = lm.complete(&asked, &stop);
            let error = match self.parser.parse(&reply) {
                Ok(value) => return Ok(value),
                Err(error) => error,
            };
            if attempt >= self.attempts {
                return Err(ChainError::GaveUp { attempts: attempt, last: error });
            }
            // Why a parse error must say what was expected and what was found: it is all
            // the model learns about its mistake.
            let how = self.parser.instructions();
            asked = format!(
                "{prompt}{reply}\n\nThe reply above could not be used: {error}.\n{how}\n\n{prompt}"
            );
            attempt += 1;
        }
    }
}
// ANCHOR_END: retry

#[cfg(test)]
mod tests;
