// sigma: activation functions and losses for neural networks. The one header to include.
#pragma once

#include <sigma/activation.hpp>
#include <sigma/catalog.hpp>
#include <sigma/dropout.hpp>
#include <sigma/error.hpp>
#include <sigma/file.hpp>
#include <sigma/idx.hpp>
#include <sigma/losses.hpp>
#include <sigma/nn.hpp>
#include <sigma/plot.hpp>
#include <sigma/prelu.hpp>
#include <sigma/softmax.hpp>
#include <sigma/version.hpp>
